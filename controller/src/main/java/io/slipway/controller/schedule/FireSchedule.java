package io.slipway.controller.schedule;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** The one Quartz job: a firing of the schedule whose id names the job, handed to the service. */
final class FireSchedule implements Job {
    private final ScheduleService service;

    FireSchedule(ScheduleService service) {
        this.service = service;
    }

    @Override
    public void execute(JobExecutionContext context) {
        service.fire(context.getJobDetail().getKey(), context.getScheduledFireTime().toInstant());
    }
}
