"""Documents built on the workflow: approval records and executive reports (PDF, CSV, SVG charts)."""
