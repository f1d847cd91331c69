"""Operations: backup and restore of a workspace."""
