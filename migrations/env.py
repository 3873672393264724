"""Alembic environment: runs on a connection handed in by models.migrate, or builds one from the URL."""
from alembic import context

from models.database import build_engine
from models.tables import Base

config = context.config


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    with build_engine(config.get_main_option("sqlalchemy.url")).connect() as fresh:
        run_migrations(fresh)
        fresh.commit()
