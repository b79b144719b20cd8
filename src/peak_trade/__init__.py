"""peak-trade: prove that real orders cannot leave the system unless every safety gate was opened.

The version below is the single source: the build backend reads it into the installed metadata.
"""

__version__ = "0.1.0"
