"""The zhanaozen-graph test suite."""
