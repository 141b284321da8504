"""cvmlib: the helper library of the Customer Value Management (客户价值管理) course.

One job per module; dependencies point one way::

    notebooks -> cvmlib.widgets -> cvmlib.<topic> -> cvmlib.validate / cvmlib.datasets

Topic modules (``rfm``, ...) never import widgets.
"""

__version__ = "0.1.0"
