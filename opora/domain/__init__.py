"""The regulation as pure Python: states, routing, clocks and calendars.

Nothing here imports Django; every function that depends on time takes `now`.
"""
