"""Domain core: records, the legal clock, workflow and services. Never imports Qt."""
