"""The whole demo world, in order: organisation and people, catalogue, publications, the
statistics' history and its forecast, cases and questions."""


def seed_everything(*, cases: bool = True):
    from shenpi.accounts.demo import seed_demo_world
    from shenpi.agency.demo import seed_demo_agency, seed_templates
    from shenpi.cases.demo import seed_demo_cases
    from shenpi.catalog.demo import seed_demo_bundles, seed_demo_catalogue
    from shenpi.consult.demo import seed_demo_questions
    from shenpi.hall.demo import seed_demo_hall_day, seed_demo_halls
    from shenpi.publishing.demo import seed_demo_publications

    accounts = seed_demo_world()
    result = accounts, seed_demo_catalogue(), seed_demo_publications()
    seed_demo_bundles()
    seed_demo_halls()
    if cases:
        from django.utils import timezone

        from shenpi.stats.demo import seed_history
        from shenpi.stats.forecast import forecast_all

        seed_history(timezone.localdate())
        seed_demo_cases()
        seed_demo_questions()
        seed_demo_agency()
        seed_demo_hall_day()
        forecast_all()
    else:
        seed_templates()
    return result
