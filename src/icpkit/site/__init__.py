"""The site: pages generated from the ICPs (files), built with mkdocs."""
