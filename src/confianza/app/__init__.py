"""The composition root: settings, the container, the unit of work over SQLAlchemy, the web app and
its routers, the `confianza` command, and what each edge is handed."""
