"""The one line Slipway's example apps answer with."""

__version__ = "1.0.0"


def greeting_line(app, example, greeting=None, dyno=None):
    """'Hello from shop (python example, web.1)': the greeting, the app's name, where it ran."""
    where = f"{example} example" + (f", {dyno}" if dyno else "")
    return f"{greeting or 'Hello'} from {app} ({where})"
