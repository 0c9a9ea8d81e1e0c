"""Build tools, outside the package readers copy: the notebook executor, the Sphinx extensions, the install
cell every chapter starts with, and the JupyterLab settings ``make lab`` installs."""
