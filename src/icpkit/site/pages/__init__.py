"""One module per kind of generated page; each returns Markdown built with `site.markup`."""
