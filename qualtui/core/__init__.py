"""The core: MTurk access, error translation, history and models. Never imports textual."""
