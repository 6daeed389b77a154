"""Who may do what: roles, rights, grid scopes, accounts, tokens, kiosk links, the audit trail."""
