"""classadlint: static analysis and policy tests for HTCondor configuration and ClassAds."""

__version__ = "0.1.0"
