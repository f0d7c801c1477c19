from django import template

from ..explain import explain, knockout_label

register = template.Library()


@register.filter
def screening_reason(sentence: str) -> str:
    """A screening explanation sentence in the reader's language."""
    return explain(str(sentence))


@register.filter
def knockout(code: str) -> str:
    return knockout_label(str(code))
