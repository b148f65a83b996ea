"""Broadsheet's headless domain layer. Nothing in here imports Textual."""
