import click

from ethics.audit.services import entry_count, verify_chain


@click.command("audit-verify")
def audit_verify():
    """Check the audit log's hash chain; exit 1 naming the first broken entry."""
    broken = verify_chain()
    if broken:
        click.echo(f"audit chain broken at {broken}", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact ({entry_count()} entries)")
