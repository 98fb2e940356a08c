"""Implementation of :mod:`simulator.scenario`: the section models and error translation."""
