"""Flask extensions, created unbound and attached in create_app()."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from planner.core.database import db

__all__ = ["babel", "csrf", "db", "login_manager", "mail", "migrate"]

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
mail = Mail()
migrate = Migrate(db=db, directory=None)
