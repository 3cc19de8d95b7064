"""Scoring accounts and backtesting ICPs against deals.

`contract` holds statuses, bands and result columns (pandas-free); `score`, `prepare` and
`backtest` are the pandas engine; `sql/` is the second engine. The library entry points
are `icpkit.score` and `icpkit.backtest`. Nothing is imported here, so `icp compile` and
`icp check` never load pandas.
"""
