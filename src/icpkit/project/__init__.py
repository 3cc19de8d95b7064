"""A project on disk: settings, the CRM mapping, finding ICP files, and `icp init`'s scaffold."""
