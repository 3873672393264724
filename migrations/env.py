"""Alembic environment: runs on a connection handed in by models.migrate, or builds one from the URL."""
from alembic import context

from models.database import build_engine
from models.tables import Base

config = context.config
#: Tables other libraries own (APScheduler's job store): never created or dropped by a migration.
FOREIGN_TABLES = {"scheduler_jobs"}


def include_object(object_, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        include_object=include_object,
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
