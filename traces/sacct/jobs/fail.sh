#!/bin/bash
# A job that fails: exit code 3 after a short run.
sleep 2
exit 3
