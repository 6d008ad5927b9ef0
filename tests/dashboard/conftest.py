from tests.dashboard.world import fake_scorers, world  # noqa: F401  (fixtures)
