"""Every write to a Threadline model goes through a function in this package."""
