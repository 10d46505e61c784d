"""The Qt layer: a thin GUI over ``request_desk.core``."""
