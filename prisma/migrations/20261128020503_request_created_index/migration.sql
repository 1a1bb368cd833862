-- CreateIndex
CREATE INDEX "RunnerRequest_createdAt_idx" ON "RunnerRequest"("createdAt");

