"""Modal dialogs: confirm, export, help, type picker. They import only core."""
