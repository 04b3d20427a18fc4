from django import template

from shenpi.common import personal

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def light_label(light):
    return {"green": "正常", "yellow": "临近期限", "red": "已超期"}.get(light, "")


@register.filter
def raw_value(raw):
    """An indicator's raw value as the evaluation shows it: a pair of rates (consultation)
    or a card count (warnings) joined, a rate with no base as —."""
    if isinstance(raw, tuple | list):
        return " / ".join("—" if x is None else str(x) for x in raw)
    return raw


# Personal numbers as pages and lists show them (common/personal.py).
register.filter("mask_code", personal.mask_code)
register.filter("mask_mobile", personal.mask_mobile)
register.filter("mask_name", personal.mask_name)
