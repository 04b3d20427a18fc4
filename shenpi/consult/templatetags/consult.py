"""常见问题 on the pages of the apps below consult (an item's guide, a policy's page): they
name the tag, consult supplies the rows, and no lower app imports consult."""

from django import template

from shenpi.consult.selectors import published_faqs

register = template.Library()


@register.inclusion_tag("consult/_faqs.html")
def faqs_of(item=None, policy=None):
    return {"faqs": list(published_faqs(item=item, policy=policy)[:20])}
