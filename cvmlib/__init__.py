"""cvmlib: the helper library of the Customer Value Management (客户价值管理) course.

One job per module; dependencies point one way::

    notebooks -> cvmlib.widgets -> cvmlib.<topic> -> cvmlib.validate / cvmlib.datasets

Topic modules (``rfm``, ...) never import widgets.

The course speaks English or Chinese: ``cvmlib.set_language("zh")`` (or ``CVM_LANG=zh``) switches every
text cvmlib shows (checks, errors, figures, tables, widgets); the numbers are the same (``cvmlib.i18n``).
"""

from cvmlib.i18n import get_language, set_language

__all__ = ["get_language", "set_language"]
__version__ = "0.1.0"
