#!/bin/bash
# A job that would run for 5 minutes: it is cancelled while running, or killed at its time limit.
sleep 300
