"""The checks run on a step: numeric sampling, counterexample search and shrinking."""
