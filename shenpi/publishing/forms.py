from django import forms

from shenpi.catalog.forms import BootstrapMixin

from .models import Publication


class PublicationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["kind", "title", "document_number", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
