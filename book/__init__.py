"""Attention, Built: every component of the Transformer, written once."""
