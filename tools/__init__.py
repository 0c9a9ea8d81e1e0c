"""Build tools, outside the package readers copy: the notebook executor and the Sphinx extension."""
