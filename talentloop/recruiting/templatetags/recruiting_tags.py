from django import template

from ..explain import explain, knockout_label, skill_label

register = template.Library()


@register.filter
def screening_reason(sentence: str) -> str:
    """A screening explanation sentence in the reader's language."""
    return explain(str(sentence))


@register.filter
def knockout(code: str) -> str:
    return knockout_label(str(code))


@register.filter
def skill(name: str) -> str:
    """A skill's name in the reader's language where the vocabulary has one."""
    return skill_label(str(name))
