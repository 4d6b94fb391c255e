"""Verdicts: the engine that gives every step an earned verdict, and the caches of verdicts."""
