"""The demo, apart from the product: fictional data and the shortcuts only a demo may take.

``tirage demo`` (``management/commands/demo.py``) loads Roubaix's call re-dated to
run today (``setup``), a fictional pool of applicants handed to the real services
(``applicants``), the staff accounts, and fictional open data (``opendata``); with
``--until`` it closes the call early, settles what staff would settle by hand and
runs the real draw (``draw``). Nothing in the product imports this package.
"""
