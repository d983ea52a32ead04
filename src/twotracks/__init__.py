"""Helpers for the report "China's two tracks: blockchain yes, crypto no".

* :mod:`twotracks.data`: load the data package's tables, checked against their schema;
* :mod:`twotracks.validate`: validate a data directory (``make validate``);
* :mod:`twotracks.ccaf`: clean the raw CCAF mining-map export;
* :mod:`twotracks.figures`: the house style, and publishing a figure with its source and data;
* :mod:`twotracks.numbers`: glue the numbers the prose quotes;
* :mod:`twotracks.present`: one date style, the data's "as of" date, and reader tables.
"""

__version__ = "0.2.0"
