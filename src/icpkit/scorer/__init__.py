"""Scoring accounts and backtesting ICPs against deals.

`contract` holds statuses, bands and result columns (pandas-free); `score`, `prepare` and
`backtest` are the pandas engine; `sql/` is the second engine. Both engines load ICPs with
`loaded`, read files with `tables`, resolve and join columns with `columns`, and are run
by `orchestrate`, which does once what the two must do alike. The library entry points
are `icpkit.score` and `icpkit.backtest`. Nothing is imported here, so `icp compile` and
`icp check` never load pandas.
"""
