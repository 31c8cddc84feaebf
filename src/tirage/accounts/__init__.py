"""Staff sign-in: password with lockout (django-axes), then a second factor
(TOTP app or recovery code, django-otp) for the roles that need one."""
