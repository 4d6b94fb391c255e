"""The model: derivations, declarations, steps and the value objects of results."""
