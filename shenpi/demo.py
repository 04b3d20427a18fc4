"""The whole demo world, in order: organisation and people, catalogue, publications."""


def seed_everything():
    from shenpi.accounts.demo import seed_demo_world
    from shenpi.catalog.demo import seed_demo_catalogue
    from shenpi.publishing.demo import seed_demo_publications

    accounts = seed_demo_world()
    return accounts, seed_demo_catalogue(), seed_demo_publications()
