"""The moderator desk: server-rendered pages and htmx partials under /moderate/."""
