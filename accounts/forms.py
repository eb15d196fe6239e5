from django import forms

from casestudies.validators import NoControlCharacters


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        help_text="The address your council gave you, like name@council.gov.uk.",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the right format, like name@council.gov.uk",
        },
    )


class DomainRequestForm(forms.Form):
    """What reaches the curators by email: the council's name goes into the
    subject, so it is one line, and neither text may carry control characters."""

    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the right format, like name@council.gov.uk",
        },
    )
    council_name = forms.CharField(
        label="Your council",
        max_length=200,
        validators=[NoControlCharacters("Your council")],
        error_messages={
            "required": "Enter your council's name",
            "max_length": "Your council's name must be 200 characters or fewer",
        },
    )
    message = forms.CharField(
        label="Anything the curators should know (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        validators=[NoControlCharacters("Your message", multiline=True)],
        error_messages={"max_length": "Your message must be 1,000 characters or fewer"},
    )
