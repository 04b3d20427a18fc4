"""Model fields for personal information: a sealed text field and its look-up digest
(common/personal.py says how they are sealed and why)."""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from . import personal


def _token_length(plain_length: int) -> int:
    """Room for the token of a value of `plain_length` characters, each up to 3 bytes in
    UTF-8: "s<id>." and the base64 of the IV, the value padded to whole 16-byte blocks,
    and the tag."""
    return ((3 * plain_length // 16 + 1) * 16 + 32) * 4 // 3 + 16


class _SealedAttribute(DeferredAttribute):
    """Holds the token as loaded and opens it on first read; an assigned value (a string,
    or a Sealed copied from another record) is kept as given."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, personal.Sealed):
            value = value.open()
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        attname = self.field.attname
        before = instance.__dict__.get(attname)
        if isinstance(value, personal.Sealed) and before is not None and before != value:
            # Another record's token copied over this one's: its digest must follow.
            instance.__dict__[f"_resealed_{attname}"] = True
        instance.__dict__[attname] = value


class SealedCharField(models.CharField):
    """Text sealed at rest. Only `isnull` can be looked up: an equality test on a sealed
    column never matches (every token has its own IV), so a look-up goes through the
    field's DigestField instead. Empty text stays empty, so "none given" needs no key."""

    descriptor_class = _SealedAttribute

    def __init__(self, *args, plain_length: int = 18, **kwargs):
        self.plain_length = plain_length
        kwargs.setdefault("max_length", _token_length(plain_length))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["plain_length"] = self.plain_length
        return name, path, args, kwargs

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is sealed: look it up by its digest"
            )
        return super().get_lookup(lookup_name)

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return personal.Sealed(value)

    def to_python(self, value):
        if isinstance(value, personal.Sealed):
            return value.open()
        return super().to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, personal.Sealed):
            return value.token
        value = super().get_prep_value(value)
        if not value:
            return value
        return personal.seal(value)

    def value_to_string(self, obj):
        # Serialisation (dumpdata, fixtures) keeps the token: a dump holds no clear number.
        raw = obj.__dict__.get(self.attname)
        if isinstance(raw, personal.Sealed):
            return raw.token
        return "" if raw is None else personal.seal(raw) if raw else raw

    def pre_save(self, model_instance, add):
        # The value as held: a token loaded and not changed is written back as it was,
        # neither opened nor sealed again.
        return model_instance.__dict__.get(self.attname)

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", self.plain_length)
        return super().formfield(**kwargs)


class DigestField(models.CharField):
    """The keyed digest of a sealed field, kept in step on every save and bulk insert:
    the column that uniqueness and look-ups use (`personal.digest(value)`)."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs["max_length"] = 32
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        kwargs.pop("editable", None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        source = model_instance._meta.get_field(self.source)
        raw = model_instance.__dict__.get(source.attname)
        if isinstance(raw, personal.Sealed):
            # Unchanged since it was loaded: the digest stands. New, or another record's
            # token copied over it: made from the value.
            resealed = model_instance.__dict__.pop(f"_resealed_{source.attname}", False)
            if resealed or getattr(model_instance, self.attname) is None:
                setattr(model_instance, self.attname, personal.digest(raw.open()))
        else:
            setattr(model_instance, self.attname, personal.digest(raw) if raw else None)
        return getattr(model_instance, self.attname)


def held(instance, name: str):
    """A sealed field's value as the record holds it: the token, unopened, when it was
    loaded and not read since (a Sealed), else the clear text. Assigning it to another
    sealed field copies the token without opening or sealing it again."""
    attname = instance._meta.get_field(name).attname
    if attname not in instance.__dict__:
        return getattr(instance, name)
    return instance.__dict__[attname]
