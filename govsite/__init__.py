"""govsite — 政府网站集约化平台: one installation hosts a site group, runs its editorial and citizen
services, publishes static sites and inspects them against the national 检查指标."""

__version__ = "0.1.0"
