"""The demo school (``bangfu demo``): ``db.demo.build.build_demo`` fills an
empty database from the word lists and fixed data of ``words`` and the
calendar of ``calendar``, through the builder of ``school``, ``cases`` and
``contacts``.
"""
