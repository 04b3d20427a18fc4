from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def light_label(light):
    return {"green": "正常", "yellow": "临近期限", "red": "已超期"}.get(light, "")
