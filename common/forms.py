"""What every form view shares."""


def apply_errors(form, exc):
    """Show a service's ValidationError on the form: on its field when it names one of the form's, else above it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
