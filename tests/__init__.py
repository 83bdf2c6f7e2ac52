"""kg test suite: one module per module of kg, reading like its specification."""
